import {
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiNoContentResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Body } from '../common/decorators/body.decorator.js';
import type { AuthUser } from '../common/auth-user.js';
import { CurrentUser } from '../common/decorators/current-user.decorator.js';
import { ChecksBeforeBody } from '../common/decorators/checks-before-body.decorator.js';
import { etagOf } from '../common/http/etag.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { ApiResponseHeaders } from '../common/openapi/api-response-headers.decorator.js';
import { problemResponse } from '../common/openapi/problem-response.js';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { uuidPipe } from '../common/validation/uuid.pipe.js';
import { ClearCompletedEnvelopeDto, CompleteAllEnvelopeDto } from './dto/bulk-result.dto.js';
import { CompleteAllDto } from './dto/complete-all.dto.js';
import { CompleteTaskDto } from './dto/complete-task.dto.js';
import { CreateTaskDto } from './dto/create-task.dto.js';
import { ListTasksQuery } from './dto/list-tasks.query.js';
import { ReplaceTaskDto } from './dto/replace-task.dto.js';
import { TaskFilterQuery } from './dto/task-filter.query.js';
import { TaskEnvelopeDto, TaskListEnvelopeDto, TaskResponseDto } from './dto/task-response.dto.js';
import { UpdateTaskDto } from './dto/update-task.dto.js';
import { ConditionalWrite } from './conditional-write.decorator.js';
import {
  fingerprintOf,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_TTL_HOURS,
  parseIdempotencyKey,
} from './idempotency-key.js';
import type { TaskRow } from './task-columns.js';
import { TaskPrecondition } from './task-precondition.js';
import { TasksService } from './tasks.service.js';
import { requestPathOf } from '../common/http/request-path.js';

const IDEMPOTENCY_KEY = {
  name: IDEMPOTENCY_KEY_HEADER,
  required: false,
  description:
    'Makes a retry safe (IETF httpapi idempotency-key draft): a Structured Field string such as `"8e03978e-…"` ' +
    '(a bare token is accepted too), 1 to 255 printable ASCII characters, unique per request. Within ' +
    `${IDEMPOTENCY_KEY_TTL_HOURS} hours the same key with the same body returns the first response (201, same task) ` +
    'and creates nothing; with another body it is a 422. Keys belong to the caller.',
  schema: { type: 'string', minLength: 1, maxLength: 257, example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"' },
};

/** `/api/tasks`: the caller's own tasks. `UserTasksController` serves the same routes under `/api/{userId}/tasks`. */
@ApiTags('tasks')
@ApiBearerAuth()
@ChecksBeforeBody(TaskPrecondition)
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasksService: TasksService) {}

  @Get()
  @ApiOperation({
    summary: 'List tasks: filters, sort and keyset cursor (newest first by default)',
    description: 'A parameter with an empty or whitespace-only value (as an HTML form sends it) counts as not given.',
  })
  @ApiProblems(400, 401)
  async list(@CurrentUser() caller: AuthUser, @Query() query: ListTasksQuery): Promise<TaskListEnvelopeDto> {
    const { tasks, total, nextCursor } = await this.tasksService.list(caller.id, query);
    return { data: tasks.map(toResponse), meta: { total, limit: query.limit, nextCursor } };
  }

  @Post()
  @ApiOperation({
    summary: 'Create a task; with an Idempotency-Key, a retried request returns the first response and creates nothing',
  })
  @ApiResponseHeaders('ETag')
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiProblems(400, 401, 413, 415, 422)
  @ApiResponse({
    status: 409,
    ...problemResponse(409),
    description:
      '`limit-reached`: the account holds MAX_TASKS_PER_USER tasks, or (with an Idempotency-Key) MAX_IDEMPOTENCY_KEYS_PER_USER unexpired keys',
  })
  async create(
    @CurrentUser() caller: AuthUser,
    @Body() dto: CreateTaskDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskEnvelopeDto> {
    const key = parseIdempotencyKey(idempotencyKey);
    const task =
      key === undefined
        ? await this.tasksService.create(caller.id, dto)
        : await this.tasksService.createOnce(caller.id, dto, key, fingerprintOf(request.body));
    // The path only: an absolute-form request target names a host the client chose, and a path
    // starting with `//` would read as one (a protocol-relative reference).
    const base = requestPathOf(request.originalUrl).replace(/^\/+/, '/').replace(/\/+$/, '');
    response.location(`${base}/${task.id}`);
    return withEtag(response, task);
  }

  // The bulk routes come before the `:id` routes: Express matches in order of declaration.
  @Post('complete-all')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Complete (or reopen) every task matching the list filters, atomically; returns how many changed',
  })
  @ApiProblems(400, 401, 413, 415)
  async completeAll(
    @CurrentUser() caller: AuthUser,
    @Query() filters: TaskFilterQuery,
    @Body() dto: CompleteAllDto,
  ): Promise<CompleteAllEnvelopeDto> {
    return { data: { changed: await this.tasksService.completeMatching(caller.id, filters, dto.completed) } };
  }

  @Delete('completed')
  @ApiOperation({ summary: 'Delete every completed task, atomically; returns how many' })
  @ApiProblems(401)
  async clearCompleted(@CurrentUser() caller: AuthUser): Promise<ClearCompletedEnvelopeDto> {
    return { data: { deleted: await this.tasksService.clearCompleted(caller.id) } };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a task' })
  @ApiResponseHeaders('ETag')
  @ApiProblems(400, 401, 404)
  async get(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidPipe) id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskEnvelopeDto> {
    return withEtag(response, await this.tasksService.findOwnedOrFail(id, caller.id));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace a task (omitted optional fields return to their defaults)' })
  @ConditionalWrite({ body: true, returnsTask: true })
  async replace(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidPipe) id: string,
    @Body() dto: ReplaceTaskDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskEnvelopeDto> {
    return withEtag(response, await this.tasksService.replace(id, caller.id, dto, ifMatch));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change some fields of a task' })
  @ConditionalWrite({ body: true, returnsTask: true })
  async update(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidPipe) id: string,
    @Body() dto: UpdateTaskDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskEnvelopeDto> {
    if (Object.values(dto).every((value) => value === undefined)) {
      throw ValidationProblemException.of('body', 'must contain at least one writable field');
    }
    return withEtag(response, await this.tasksService.update(id, caller.id, dto, ifMatch));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a task' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ConditionalWrite({ body: false, returnsTask: false })
  async remove(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.tasksService.remove(id, caller.id, ifMatch);
  }

  @Patch(':id/complete')
  @ApiOperation({ summary: 'Set `completed` (with a body) or toggle it (without one)' })
  @ApiBody({ type: CompleteTaskDto, required: false })
  @ConditionalWrite({ body: true, returnsTask: true })
  async complete(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidPipe) id: string,
    @Body() dto: CompleteTaskDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskEnvelopeDto> {
    const task =
      dto.completed === undefined
        ? await this.tasksService.toggle(id, caller.id, ifMatch)
        : await this.tasksService.setCompleted(id, caller.id, dto.completed, ifMatch);
    return withEtag(response, task);
  }

  @Post(':id/toggle')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Flip `completed` atomically' })
  @ConditionalWrite({ body: false, returnsTask: true })
  async toggle(
    @CurrentUser() caller: AuthUser,
    @Param('id', uuidPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TaskEnvelopeDto> {
    return withEtag(response, await this.tasksService.toggle(id, caller.id, ifMatch));
  }
}

function withEtag(response: Response, task: TaskRow): TaskEnvelopeDto {
  response.setHeader('ETag', etagOf(task.version));
  return { data: toResponse(task) };
}

function toResponse(task: TaskRow): TaskResponseDto {
  return {
    id: task.id,
    userId: task.userId,
    title: task.title,
    description: task.description,
    completed: task.completed,
    completedAt: task.completedAt,
    priority: task.priority,
    dueAt: task.dueAt,
    tags: task.tags,
    version: task.version,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
}
